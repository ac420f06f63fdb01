// Arbitraries for hostile input: injection text, awkward unicode, huge and deeply nested values,
// wrong JSON types and prototype-pollution keys. Shared by the fuzz tests of routes and actions.
import fc from 'fast-check';

/** Keys that change an object's prototype when assigned carelessly. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** What a polluted prototype would show; the tests check Object.prototype never gets it. */
export const POLLUTION_MARK = 'fuzzPolluted';

export const INJECTIONS = [
  "'; DROP TABLE runs; --",
  '" OR 1=1 --',
  '$(touch /tmp/lr-fuzz-pwned)',
  '`id`',
  '; rm -rf / #',
  '| cat /etc/passwd',
  '${AWS::AccountId}',
  '{{7*7}}',
  '!Ref AWS::StackName',
  '!!js/function "function(){ return process.exit(1) }"',
  '!!python/object/apply:os.system ["id"]',
  'x\nResources:\n  Evil:\n    Type: AWS::IAM::User',
  '{"Fn::GetAtt": ["Evil", "Arn"]}',
  '"},"Resources":{"Evil":{"Type":"AWS::IAM::User"}},"x":{"',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '\r\nSet-Cookie: lr_session=stolen',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'arn:aws:iam::*:role/*',
  '%00',
  '%s%s%s%n',
  '\\u0000',
] as const;

export const AWKWARD_UNICODE = [
  '\u202Eevil\u202C', // right-to-left override
  '\u200F\u200E', // RTL / LTR marks
  'zero\u200Bwidth',
  'nul\u0000byte',
  'lone\uD800surrogate',
  'lone\uDFFFlow',
  '\uFEFFbom',
  'line\u2028separator',
  'ѕtасk', // Cyrillic look-alikes
  'ＦＵＬＬＷＩＤＴＨ',
  'e\u0301\u0301\u0301',
  '🔥💥',
  '\u0007\u001b[31mred',
] as const;

const randomUnicode = fc.string({ unit: 'binary', maxLength: 40 });
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Text a field checked by a pattern can never accept: it holds a character no identifier allows. */
export const FORBIDDEN_CHARS = [' ', '$', '`', ';', '|', '<', '>', '"', "'", '\n', '\u0000', '\u202E', '{', '}', '\\', '%', '#', '^', '~', '?', '&', '\uD800'] as const;

/** Big enough to cross every length limit (CloudFormation's 4,096 bytes, names of 128 or 255). */
export const hugeText = fc.oneof(
  fc.integer({ min: 4_097, max: 70_000 }).map((n) => 'A'.repeat(n)),
  fc.integer({ min: 300, max: 5_000 }).map((n) => '💥'.repeat(n)),
  fc.constant('x'.repeat(300_000)),
);

/** Any hostile text: injection attempts, awkward unicode, random code points, huge strings. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 3, arbitrary: fc.constantFrom(...AWKWARD_UNICODE) },
  { weight: 2, arbitrary: randomUnicode },
  { weight: 1, arbitrary: fc.tuple(randomUnicode, loneSurrogate, randomUnicode).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: hugeText },
);

/**
 * `text` with a forbidden character spliced in, between two letters so that trimming cannot
 * remove it: invalid for every identifier-like field.
 */
export const tainted = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(text, fc.constantFrom(...FORBIDDEN_CHARS), fc.nat()).map(([base, bad, at]) => {
    const cut = at % (base.length + 1);
    return `z${base.slice(0, cut)}${bad}${base.slice(cut)}z`;
  });

/** Hostile text that cannot pass a pattern-checked field (ids, names, ARNs, image references). */
export const hostileIdentifier: fc.Arbitrary<string> = fc.oneof(tainted(hostileText), hugeText);

/** Arrays nested `depth` deep around a value. */
const nested = (depth: number, inner: unknown): unknown => {
  let value = inner;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { a: value };
  return value;
};

/** Objects whose keys try to reach the prototype, with a payload that marks pollution. */
export const pollutingObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom(...PROTO_KEYS), fc.boolean())
  .map(([key, deep]) => JSON.parse(`{${JSON.stringify(key)}: ${deep ? `{"prototype": {"${POLLUTION_MARK}": true}}` : `{"${POLLUTION_MARK}": true}`}}`) as Record<string, unknown>);

/** A JSON value of the wrong type for a text field: never a string. */
export const notText: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, []),
  fc.integer(),
  fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  pollutingObject,
  fc.integer({ min: 50, max: 3_000 }).map((depth) => nested(depth, 'deep')),
);

/** A whole request payload that is not the expected object at all. */
export const notAnObject: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, 0, 'plan', [], [{}]),
  hostileText,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.integer({ min: 50, max: 3_000 }).map((depth) => [nested(depth, {})]),
);

/** Extra keys to add to an object payload: prototype keys, unicode keys, huge keys. */
export const hostileExtraKeys: fc.Arbitrary<Record<string, unknown>> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom<string>(...PROTO_KEYS), fc.constantFrom<string>(...AWKWARD_UNICODE), fc.constant('k'.repeat(10_000)), fc.constant('')),
      fc.oneof(pollutingObject, hostileText, fc.constant(null)),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((pairs) => {
    const object: Record<string, unknown> = {};
    for (const [key, value] of pairs) Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
    return object;
  });

/** Own enumerable properties copied with defineProperty, so "__proto__" stays an ordinary key. */
export function withKeys(target: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const source of [target, extra]) {
    for (const key of Object.keys(source)) Object.defineProperty(out, key, { value: source[key], enumerable: true, configurable: true, writable: true });
  }
  return out;
}
