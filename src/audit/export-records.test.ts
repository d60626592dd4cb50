import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { AuditLog } from './audit-log.js';
import { csvCell, csvColumns, csvRowOf, exportRecords } from './export-records.js';
import { checkLine } from './record-chain.js';
import { answerContent, sealedRecord } from '../../test/support/audit-records.js';

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(undefined)).toBe('');
  });

  it('keeps a spreadsheet from running text as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
  });
});

describe('csvRowOf', () => {
  it('puts an answer record in named columns, lists joined', () => {
    const row = csvRowOf(sealedRecord(answerContent({ redactions: [{ field: 'question', kind: 'email', count: 2 }] })));
    expect(row).toMatchObject({
      sequence: 1,
      type: 'answer',
      platform: 'slack',
      channel: 'C-FINANCE',
      asker: 'U123',
      principals: 'user:u123; group:finance',
      cited: `[1] file:///handbook/expenses.md#2 ${'a'.repeat(64)}`,
      redactions: 'question: email × 2',
      latency_ms: 42,
    });
    expect(Object.keys(row).every((key) => (csvColumns as readonly string[]).includes(key))).toBe(true);
  });
});

describe('exportRecords', () => {
  it('exports the stored lines verbatim as JSON Lines, so each still checks against its hash', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    await log.append(answerContent());
    await log.append(answerContent({ channelId: 'C-OTHER', question: '연차 휴가는 며칠인가요?' }));
    await log.close();
    let output = '';
    const { records } = await exportRecords(directory, { channel: 'C-OTHER' }, 'jsonl', (text) => {
      output += text;
    });
    expect(records).toBe(1);
    const lines = output.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(checkLine(Buffer.from(lines[0]!))).toMatchObject({ ok: true, record: { sequence: 2, question: '연차 휴가는 며칠인가요?' } });
  });

  it('exports CSV with a byte order mark, a header and one row per record', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    await log.append(answerContent({ question: 'Is it "30 days", or more?' }));
    await log.close();
    let output = '';
    await exportRecords(directory, {}, 'csv', (text) => {
      output += text;
    });
    const lines = output.split('\r\n');
    expect(lines[0]).toBe(`\uFEFF${csvColumns.join(',')}`);
    expect(lines[1]).toMatch(/^1,[0-9a-f-]{36},20\d\d-.*,answer,slack,C-FINANCE,,shared,U123,user:u123; group:finance,"Is it ""30 days"", or more\?",/);
    expect(lines).toHaveLength(3);
  });
});
