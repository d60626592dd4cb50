import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseText } from './parse-text.js';

describe('parseText', () => {
  it('splits paragraphs on blank lines and joins wrapped lines', () => {
    const parsed = parseText(new Uint8Array(Buffer.from('Leave policy\n\nEmployees get 25 days\nof paid leave.\n\n\n  Sick leave is separate.  \n')));
    expect(parsed.blocks).toEqual([
      { kind: 'paragraph', text: 'Leave policy' },
      { kind: 'paragraph', text: 'Employees get 25 days of paid leave.' },
      { kind: 'paragraph', text: 'Sick leave is separate.' },
    ]);
  });

  it('keeps paragraphs made only of bullet lines as lists', () => {
    const parsed = parseText(new Uint8Array(Buffer.from('Checklist:\n\n- laptop\n- badge\n  - photo\n\n1. sign\n2. return')));
    expect(parsed.blocks.map((block) => [block.kind, block.text])).toEqual([
      ['paragraph', 'Checklist:'],
      ['list', '- laptop\n- badge\n  - photo'],
      ['list', '1. sign\n2. return'],
    ]);
  });

  it('reads checklists with a lead-in line and wrapped items', () => {
    const parsed = parseText(new Uint8Array(Buffer.from('DAY 1\n[ ] Arrive at 09:30. Seoul: reception on the\n    14th floor.\n[x] Collect your badge.\n\n1.5 million robots shipped\nlast year.')));
    expect(parsed.blocks.map((block) => [block.kind, block.text])).toEqual([
      ['paragraph', 'DAY 1'],
      ['list', '- [ ] Arrive at 09:30. Seoul: reception on the 14th floor.\n- [x] Collect your badge.'],
      ['paragraph', '1.5 million robots shipped last year.'],
    ]);
  });

  it('nests Korean enumerators under numbered items, keeping the markers as written', () => {
    const parsed = parseText(new Uint8Array(Buffer.from('1. 출입 보안\n  가. 사원증은 항상 패용합니다.\n  나. 출입문에서는 한 사람씩\n      태그합니다.\n2. 자리 보안')));
    expect(parsed.blocks).toEqual([{ kind: 'list', text: '1. 출입 보안\n  가. 사원증은 항상 패용합니다.\n  나. 출입문에서는 한 사람씩 태그합니다.\n2. 자리 보안' }]);
  });

  it('removes control characters and decodes legacy text', () => {
    const parsed = parseText(new Uint8Array(iconv.encode('회의록\u0007\n\n다음 회의는 월요일입니다.', 'euc-kr')));
    expect(parsed.blocks.map((block) => block.text)).toEqual(['회의록', '다음 회의는 월요일입니다.']);
    expect(parsed.metadata?.encoding).toBe('cp949');
  });
});
