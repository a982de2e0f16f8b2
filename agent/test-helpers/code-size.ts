// Size limits of the source (issue 7): no file over 300 lines and no function over 60, except the numeric
// kernels, where one long loop nest reads better than pieces. Measured with the TypeScript parser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 60;

/** Every file and function over the limits, as "path: N lines" / "path:line name: N lines". */
export function oversized(root: string, files: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > MAX_FILE_LINES) problems.push(`${file}: ${lines} lines`);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line + 1;
    const visit = (node: ts.Node) => {
      if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
        const first = lineOf(node.getStart(source));
        const length = lineOf(node.getEnd()) - first + 1;
        const name = node.name?.getText(source) ?? '(anonymous)';
        if (length > MAX_FUNCTION_LINES) problems.push(`${file}:${first} ${name}: ${length} lines`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return problems;
}
