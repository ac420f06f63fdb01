// Finds every route handler (app/**/route.ts) and every server action module (a module-level
// 'use server' directive) on disk, so the fuzz tests cover new ones without being told.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

export const ROOT = join(__dirname, '..', '..', '..');
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : walk(path);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

export interface RouteFile {
  /** Relative to the repository, e.g. app/api/runs/[id]/events/route.ts. */
  file: string;
  /** The URL pattern, e.g. /api/runs/[id]/events. */
  route: string;
}

export function routeFiles(): RouteFile[] {
  return walk(join(ROOT, 'app'))
    .filter((path) => /[\\/]route\.tsx?$/.test(path))
    .map((path) => {
      const file = relative(ROOT, path).split(sep).join('/');
      const route = `/${file.replace(/^app\//, '').replace(/\/?route\.tsx?$/, '')}`.replace(/\/\([^)]+\)/g, '');
      return { file, route: route === '/' ? '/' : route.replace(/\/$/, '') };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}

function hasUseServerDirective(text: string, fileName: string): boolean {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === 'use server') return true;
  }
  return false;
}

/** Repository-relative paths of the modules whose exports are server actions. */
export function actionFiles(): string[] {
  return ['app', 'components', 'lib']
    .flatMap((dir) => walk(join(ROOT, dir)))
    .filter((path) => {
      const text = readFileSync(path, 'utf8');
      return text.includes('use server') && hasUseServerDirective(text, path);
    })
    .map((path) => relative(ROOT, path).split(sep).join('/'))
    .sort();
}
