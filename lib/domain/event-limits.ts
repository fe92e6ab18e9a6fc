// Size limits of the event contract (DESIGN.md). Pure.
export const EVENT_LIMITS = {
  eventIdChars: 128,
  txIdChars: 256,
  nameChars: 128,
  keyChars: 256,
  attributeKeyChars: 128,
  attributeValueChars: 8192,
  attributeCount: 256,
} as const;
