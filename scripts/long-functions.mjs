#!/usr/bin/env node
// Lists the functions in src/ longer than a limit (default 80 lines), longest first.
// Usage: node scripts/long-functions.mjs [--max 80] [--json] [dir]
// A function's length is the lines from its first token to its closing brace. A nested
// function is listed on its own and also counts inside the function around it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
let max = 80;
let json = false;
let root = 'src';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--max') max = Number(args[++i]);
  else if (args[i] === '--json') json = true;
  else root = args[i];
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.includes('.generated.')) yield path;
  }
}

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  return '(anonymous)';
}

const found = [];
for (const file of files(root)) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (
      (ts.isFunctionDeclaration(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isArrowFunction(node) ||
        ts.isConstructorDeclaration(node)) &&
      node.body
    ) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      const end = source.getLineAndCharacterOfPosition(node.end).line + 1;
      const lines = end - start + 1;
      if (lines > max) found.push({ file: relative('.', file), line: start, name: nameOf(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

found.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file));
if (json) {
  process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
} else {
  for (const f of found) process.stdout.write(`${String(f.lines).padStart(4)}  ${f.name}  ${f.file}:${f.line}\n`);
  process.stdout.write(`${found.length} function(s) over ${max} lines\n`);
}
