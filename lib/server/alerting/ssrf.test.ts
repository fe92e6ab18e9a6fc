import { describe, expect, it } from 'vitest';
import { checkUrl, isPrivateAddress, literalHostProblem } from './ssrf';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', 'fc12::3', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1',
    '64:ff9b::10.0.0.1', 'not-an-ip',
  ])('%s is refused', (a) => expect(isPrivateAddress(a)).toBe(true));

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '192.169.0.1'])('%s is public', (a) =>
    expect(isPrivateAddress(a)).toBe(false),
  );
});

describe('checkUrl', () => {
  it('refuses loopback names and literals, and allows them when private receivers are allowed', async () => {
    await expect(checkUrl('http://127.0.0.1:9/x', false)).rejects.toThrow(/127\.0\.0\.1, a loopback, private or link-local address: refused/);
    await expect(checkUrl('http://[::1]:9/x', false)).rejects.toThrow(/::1/);
    await expect(checkUrl('http://localhost:9/x', false)).rejects.toThrow(/localhost resolves to/);
    await expect(checkUrl('http://169.254.169.254/latest/meta-data', false)).rejects.toThrow(/refused/);
    await expect(checkUrl('http://127.0.0.1:9/x', true)).resolves.toBeUndefined();
  });

  it('refuses credentials in the URL and other schemes', async () => {
    await expect(checkUrl('http://user:pw@8.8.8.8/', false)).rejects.toThrow(/credentials/);
    await expect(checkUrl('ftp://8.8.8.8/', true)).rejects.toThrow(/only http and https/);
  });

  it('accepts a public literal without resolving it', async () => {
    await expect(checkUrl('https://8.8.8.8/hook', false)).resolves.toBeUndefined();
    expect(literalHostProblem(new URL('https://8.8.8.8/'), false)).toBeNull();
    expect(literalHostProblem(new URL('http://[::ffff:127.0.0.1]/'), false)).toMatch(/refused/);
  });
});
