// Test helper: the `aws cloudformation create-stack` and `update-stack` commands of the original
// README (templates/testing/seed-readme.md, copied from the product's first README), read from its
// bash blocks as a shell would split them, with the variables each block assigns from stack outputs.

export interface SeedParameter {
  key: string;
  /** The value as written, shell substitutions (`$VPC_ID`, `$(date +%s)`) included; none with UsePreviousValue. */
  value?: string;
  usePrevious: boolean;
}

export interface SeedCommand {
  /** 1-based line of the markdown where the command starts. */
  line: number;
  verb: 'create-stack' | 'update-stack';
  stackName: string;
  /** The file stem after generated-templates/, e.g. lakerunner-ecs-setup. */
  templateStem?: string;
  usePreviousTemplate: boolean;
  parameters: SeedParameter[];
  capabilities: string[];
  /** The command ends in `...`: the README leaves the rest to the reader. */
  elided: boolean;
}

/** `VAR=$(aws cloudformation describe-stacks --stack-name S --query '…OutputKey==`K`…')`. */
export interface SeedVariable {
  name: string;
  stackName: string;
  outputKey: string;
}

export interface SeedBlock {
  line: number;
  variables: SeedVariable[];
  commands: SeedCommand[];
}

/** Splits one shell line into words: quotes group and are removed, `$(…)` stays whole. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`Unclosed ${c} in: ${line}`);
      word += line.slice(i + 1, end);
      started = true;
      i = end;
    } else if (c === '$' && line[i + 1] === '(') {
      const end = line.indexOf(')', i);
      if (end < 0) throw new Error(`Unclosed $( in: ${line}`);
      word += line.slice(i, end + 1);
      started = true;
      i = end;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

const VARIABLE = /^(\w+)=\$\(aws cloudformation describe-stacks --stack-name (\S+) --query 'Stacks\[0\]\.Outputs\[\?OutputKey==`(\w+)`\]\.OutputValue'/;
const PARAMETER = /^ParameterKey=([^,]+),(?:ParameterValue=(.*)|UsePreviousValue=true)$/s;

function parseCommand(words: string[], line: number): SeedCommand {
  const verb = words[2] as SeedCommand['verb'];
  const command: SeedCommand = { line, verb, stackName: '', usePreviousTemplate: false, parameters: [], capabilities: [], elided: false };
  let list: 'parameters' | 'capabilities' | undefined;
  for (let i = 3; i < words.length; i++) {
    const word = words[i]!;
    if (word === '...' || word.startsWith('--')) {
      list = word === '--parameters' ? 'parameters' : word === '--capabilities' ? 'capabilities' : undefined;
      if (word === '...') command.elided = true;
      if (word === '--use-previous-template') command.usePreviousTemplate = true;
      if (word === '--stack-name') command.stackName = words[++i] ?? '';
      if (word === '--template-body') command.templateStem = /generated-templates\/([\w-]+)\.ya?ml$/.exec(words[++i] ?? '')?.[1];
      continue;
    }
    if (list === 'parameters') {
      const match = PARAMETER.exec(word);
      if (!match) throw new Error(`line ${line}: cannot read the parameter "${word}"`);
      command.parameters.push({ key: match[1]!, value: match[2], usePrevious: match[2] === undefined });
    } else if (list === 'capabilities') command.capabilities.push(word);
    else throw new Error(`line ${line}: unexpected word "${word}"`);
  }
  if (!command.stackName) throw new Error(`line ${line}: a command without --stack-name`);
  return command;
}

/** Every bash block of the markdown with its stack-creating and -updating commands. */
export function seedBlocks(markdown: string): SeedBlock[] {
  const lines = markdown.split('\n');
  const blocks: SeedBlock[] = [];
  let block: SeedBlock | undefined;
  let pending = '';
  let pendingLine = 0;
  lines.forEach((raw, index) => {
    if (!block) {
      if (raw.trim() === '```bash') block = { line: index + 1, variables: [], commands: [] };
      return;
    }
    if (raw.trim() === '```') {
      blocks.push(block);
      block = undefined;
      return;
    }
    // Continuation lines end in a backslash (the README also writes it doubled, escaped for markdown).
    const continued = /\\\s*$/.test(raw);
    if (!pending) pendingLine = index + 1;
    pending += ` ${raw.replace(/\\+\s*$/, '')}`;
    if (continued) return;
    const text = pending.trim();
    pending = '';
    if (text.startsWith('#') || text === '') return;
    const variable = VARIABLE.exec(text);
    if (variable) return void block.variables.push({ name: variable[1]!, stackName: variable[2]!, outputKey: variable[3]! });
    const words = shellWords(text);
    if (words[0] === 'aws' && words[1] === 'cloudformation' && (words[2] === 'create-stack' || words[2] === 'update-stack'))
      block.commands.push(parseCommand(words, pendingLine));
  });
  return blocks.filter((b) => b.commands.length > 0);
}

/**
 * The parameter tables and the per-step parameter lists of the README: which parameter names it
 * documents for which template, by the section that documents them.
 */
export function documentedParameters(markdown: string): { section: string; keys: string[] }[] {
  const sections: { section: string; keys: string[] }[] = [];
  let current: { section: string; keys: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^#{2,4} (.+)$/.exec(line);
    if (heading) {
      current = { section: heading[1]!.trim(), keys: [] };
      sections.push(current);
      continue;
    }
    const row = /^\| `(\w+)` \|/.exec(line);
    const bullet = /^\s*- \*\*(\w+)\*\* –/.exec(line);
    const key = row?.[1] ?? bullet?.[1];
    if (current && key && /^[A-Z]/.test(key)) current.keys.push(key);
  }
  return sections.filter((s) => s.keys.length > 0);
}
