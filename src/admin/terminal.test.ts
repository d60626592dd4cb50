import { describe, expect, it } from 'vitest';
import { formatTable } from './terminal.js';

describe('formatTable', () => {
  it('aligns text left and numbers right, ignoring blank cells', () => {
    const table = formatTable(['name', 'seconds'], [['index', '179.7'], ['calibration', ''], ['re-index', 0.5]]);
    expect(table.split('\n')).toEqual(['name         seconds', '-----------  -------', 'index          179.7', 'calibration', 're-index         0.5']);
  });
});
