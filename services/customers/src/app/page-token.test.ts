import { decodePageToken, encodePageToken } from './page-token';

describe('page tokens', () => {
  it('round-trips a position for the same query', () => {
    expect(decodePageToken(encodePageToken('42', 'ann'), 'ann')).toBe('42');
  });

  it('refuses a token issued for another query, and garbage', () => {
    expect(() => decodePageToken(encodePageToken('42', 'ann'), 'bob')).toThrow(/page_token/);
    expect(() => decodePageToken('garbage', '')).toThrow(/page_token/);
    expect(() => decodePageToken(Buffer.from('v1:1;drop table:xxxxxxxx').toString('base64url'), '')).toThrow(
      /page_token/,
    );
  });
});
