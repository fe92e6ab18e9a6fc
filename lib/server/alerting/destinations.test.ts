import { describe, expect, it } from 'vitest';
import { redactUrl } from './destinations';

describe('redactUrl', () => {
  it.each([
    ['webhook', 'https://hooks.example.com/txdrift', 'https://hooks.example.com/txdrift'],
    ['webhook', 'https://hooks.example.com/hook?token=abc', 'https://hooks.example.com/hook?…'],
    ['webhook', 'https://discord.com/api/webhooks/1234/SeCrEtToKeN', 'https://discord.com/api/…'],
    ['slack', 'https://hooks.slack.com/services/T0001/B0002/XXXXSECRET', 'https://hooks.slack.com/services/T00…/…'],
    ['webhook', 'https://example.com/aVeryLongSecretLookingPathSegment123', 'https://example.com/aVeryLongSec…'],
    ['alertmanager_api', 'http://alertmanager:9093/api/v2/alerts', 'http://alertmanager:9093/api/…'],
    ['webhook', 'not a url', '(invalid URL)'],
  ] as const)('%s %s → %s', (type, url, shown) => {
    expect(redactUrl(type, url)).toBe(shown);
  });
});
