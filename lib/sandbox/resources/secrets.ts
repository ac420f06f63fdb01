// GenerateSecretString: random passwords with Secrets Manager's options (length, exclusions,
// punctuation, one of each included type), optionally placed into a JSON template.
import { randomInt } from 'node:crypto';
import { isObject, type JsonObject } from '../cfn/json';

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const CLASSES = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  punctuation: PUNCTUATION,
};

const flag = (v: unknown) => v === true || v === 'true';

export function generatePassword(options: JsonObject): string {
  const length = Number(options.PasswordLength ?? 32);
  const exclude = new Set(String(options.ExcludeCharacters ?? ''));
  const classes = [
    !flag(options.ExcludeLowercase) && CLASSES.lower,
    !flag(options.ExcludeUppercase) && CLASSES.upper,
    !flag(options.ExcludeNumbers) && CLASSES.digits,
    !flag(options.ExcludePunctuation) && CLASSES.punctuation,
    flag(options.IncludeSpace) && ' ',
  ]
    .filter((c): c is string => typeof c === 'string')
    .map((c) => [...c].filter((ch) => !exclude.has(ch)).join(''))
    .filter((c) => c.length > 0);
  if (classes.length === 0) throw new Error('GenerateSecretString excludes every character');
  const all = classes.join('');
  const chars = Array.from({ length }, () => all[randomInt(all.length)]!);
  if (options.RequireEachIncludedType !== false && options.RequireEachIncludedType !== 'false' && length >= classes.length) {
    // Put one character of each class at distinct random positions.
    const positions = new Set<number>();
    while (positions.size < classes.length) positions.add(randomInt(length));
    [...positions].forEach((position, i) => {
      const cls = classes[i]!;
      chars[position] = cls[randomInt(cls.length)]!;
    });
  }
  return chars.join('');
}

/** The SecretString a GenerateSecretString block produces. */
export function generateSecretString(options: JsonObject): string {
  const password = generatePassword(options);
  if (typeof options.SecretStringTemplate !== 'string') return password;
  const template: unknown = JSON.parse(options.SecretStringTemplate);
  if (!isObject(template) || typeof options.GenerateStringKey !== 'string') return password;
  return JSON.stringify({ ...template, [options.GenerateStringKey]: password });
}
