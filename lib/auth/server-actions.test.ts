// Every server action must be made by defineAction, so none can skip the session, role and input
// checks. This scans the source for 'use server' and fails on anything else.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const SCANNED = ['app', 'components', 'lib', 'templates'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|js|jsx|mjs)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function isUseServer(statement: ts.Statement): boolean {
  return ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression) && statement.expression.text === 'use server';
}

function hasDirective(statements: readonly ts.Statement[]): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (isUseServer(statement)) return true;
  }
  return false;
}

/** Problems in one file's source: exports that are not defineAction(...) and inline 'use server'. */
function serverActionProblems(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const problems: string[] = [];
  const moduleLevel = hasDirective(source.statements);

  const visit = (node: ts.Node): void => {
    if (node !== source && (ts.isBlock(node) || ts.isSourceFile(node)) && hasDirective(node.statements)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      problems.push(`line ${line + 1}: inline 'use server' function; define it with defineAction in a 'use server' module`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!moduleLevel) return problems;

  for (const statement of source.statements) {
    const { line } = source.getLineAndCharacterOfPosition(statement.getStart());
    const where = `line ${line + 1}`;
    if (ts.isExportAssignment(statement) || ts.isExportDeclaration(statement)) {
      if (ts.isExportDeclaration(statement) && statement.isTypeOnly) continue;
      problems.push(`${where}: default or re-export; export each action as "export const name = defineAction(...)"`);
      continue;
    }
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported || ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) continue;
    if (!ts.isVariableStatement(statement)) {
      problems.push(`${where}: exported ${ts.SyntaxKind[statement.kind]} is not a defineAction(...) call`);
      continue;
    }
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      const ok = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'defineAction';
      if (!ok) problems.push(`${where}: export ${declaration.name.getText(source)} is not a defineAction(...) call`);
    }
  }
  return problems;
}

describe('server actions', () => {
  it('are all made by defineAction', () => {
    const files = SCANNED.flatMap((dir) => sourceFiles(join(ROOT, dir)));
    const problems = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('use server')) return [];
      return serverActionProblems(file, text).map((p) => `${relative(ROOT, file)} ${p}`);
    });
    expect(problems).toEqual([]);
  });

  describe('the scanner', () => {
    it('accepts defineAction exports and type exports', () => {
      const text = `'use server';
        import { defineAction } from '@/lib/auth/action';
        export type Result = { ok: boolean };
        export const save = defineAction({ role: 'admin', schema }, async () => 1);
        const helper = () => 2;`;
      expect(serverActionProblems('a.ts', text)).toEqual([]);
    });

    it.each([
      ['an exported async function', `'use server';\nexport async function save() {}`],
      ['an exported arrow', `'use server';\nexport const save = async () => {};`],
      ['a wrapped defineAction', `'use server';\nexport const save = wrap(defineAction({}, async () => 1));`],
      ['a default export', `'use server';\nexport default defineAction({}, async () => 1);`],
      ['a re-export', `'use server';\nexport { save } from './other';`],
      ['an inline action', `export default function Page() { async function act() { 'use server'; } return null; }`],
    ])('rejects %s', (_name, text) => {
      expect(serverActionProblems('a.tsx', text)).not.toEqual([]);
    });

    it('ignores files that merely mention the directive', () => {
      expect(serverActionProblems('a.ts', `const note = 'use server';\nexport async function x() {}`)).toEqual([]);
    });
  });
});
