import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes what needs quoting and joins arrays with spaces', () => {
    expect(toCsv(['tx_id', 'services', 'note'], [{ tx_id: 'pay-1', services: ['api', 'ledger'], note: 'said "hi", twice' }, { tx_id: 'pay-2' }])).toBe(
      'tx_id,services,note\r\npay-1,api ledger,"said ""hi"", twice"\r\npay-2,,\r\n',
    );
  });
});
