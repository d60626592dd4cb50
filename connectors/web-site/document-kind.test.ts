import { describe, expect, it } from 'vitest';
import { documentKindOf, documentName, mayBeDocument } from './document-kind.js';

describe('document kinds', () => {
  it('takes HTML, PDF and Office files by media type, and by extension when the type says nothing', () => {
    expect(documentKindOf('text/html', 'http://h/a')).toBe('html');
    expect(documentKindOf('application/xhtml+xml', 'http://h/a')).toBe('html');
    expect(documentKindOf('application/pdf', 'http://h/a')).toBe('pdf');
    expect(documentKindOf('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'http://h/a')).toBe('docx');
    expect(documentKindOf('application/octet-stream', 'http://h/files/Report.PPTX')).toBe('pptx');
    expect(documentKindOf('application/octet-stream', 'http://h/files/archive.bin')).toBeUndefined();
    expect(documentKindOf('image/png', 'http://h/a.pdf')).toBeUndefined();
    expect(documentKindOf('text/plain', 'http://h/notes.txt')).toBeUndefined();
  });

  it('does not request links that plainly lead to images, scripts or archives', () => {
    expect(mayBeDocument('http://h/logo.PNG')).toBe(false);
    expect(mayBeDocument('http://h/app.js?v=3')).toBe(false);
    expect(mayBeDocument('http://h/handbook/leave')).toBe(true);
    expect(mayBeDocument('http://h/handbook/')).toBe(true);
    expect(mayBeDocument('http://h/report.pdf')).toBe(true);
  });

  it('names a page after its last path segment with the extension of its kind', () => {
    expect(documentName('http://h/', 'html')).toBe('index.html');
    expect(documentName('http://h/handbook/leave', 'html')).toBe('leave.html');
    expect(documentName('http://h/handbook/leave.htm', 'html')).toBe('leave.htm');
    expect(documentName('http://h/handbook/', 'html')).toBe('handbook.html');
    expect(documentName('http://h/files/report.pdf', 'pdf')).toBe('report.pdf');
    expect(documentName('http://h/download?id=7', 'docx')).toBe('download.docx');
    expect(documentName('http://h/%ED%9C%B4%EA%B0%80', 'html')).toBe('휴가.html');
  });
});
