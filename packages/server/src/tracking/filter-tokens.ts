import { invalidParameter } from './mlflow-error.ts';

/** A lexical token of MLflow's search filter and order-by language. */
export type FilterToken =
  | { kind: 'identifier'; text: string; parts: string[] }
  | { kind: 'string'; text: string; value: string }
  | { kind: 'number'; text: string; value: number }
  | { kind: 'operator'; text: string }
  | { kind: 'keyword'; text: string; upper: string }
  | { kind: 'punctuation'; text: '(' | ')' | ',' };

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE', 'IS', 'NULL', 'ASC', 'DESC']);
const OPERATORS = ['!=', '<>', '<=', '>=', '=', '<', '>'];
const NUMBER = /^-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?(?![\w.])/;
const WORD = /^[\w]+/;

/** Reads a quoted run starting at `start` (the opening quote); doubled quotes and backslashes escape. */
function readQuoted(input: string, start: number): { value: string; end: number } {
  const quote = input[start]!;
  let value = '';
  let index = start + 1;
  while (index < input.length) {
    const char = input[index]!;
    if (char === '\\' && index + 1 < input.length) {
      value += input[index + 1];
      index += 2;
    } else if (char === quote && input[index + 1] === quote) {
      value += quote;
      index += 2;
    } else if (char === quote) {
      return { value, end: index + 1 };
    } else {
      value += char;
      index += 1;
    }
  }
  throw invalidParameter(
    `Invalid filter '${input}': the quote at position ${start} is never closed.`,
  );
}

/** Reads a dotted identifier whose parts are words or `backquoted`/"double-quoted" names. */
function readIdentifier(input: string, start: number): { token: FilterToken; end: number } {
  const parts: string[] = [];
  let index = start;
  for (;;) {
    const char = input[index];
    if (char === '`' || char === '"') {
      const quoted = readQuoted(input, index);
      parts.push(quoted.value);
      index = quoted.end;
    } else {
      const word = WORD.exec(input.slice(index))?.[0];
      if (word === undefined) break;
      parts.push(word);
      index += word.length;
    }
    if (input[index] !== '.') break;
    index += 1;
  }
  const text = input.slice(start, index);
  return { token: { kind: 'identifier', text, parts }, end: index };
}

function readWordOrIdentifier(input: string, start: number): { token: FilterToken; end: number } {
  const read = readIdentifier(input, start);
  const upper = read.token.text.toUpperCase();
  if (read.token.kind === 'identifier' && read.token.parts.length === 1 && KEYWORDS.has(upper)) {
    return { token: { kind: 'keyword', text: read.token.text, upper }, end: read.end };
  }
  return read;
}

/** Splits a filter or order-by string into tokens; whitespace separates and is dropped. */
export function tokenize(input: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let index = 0;
  while (index < input.length) {
    const char = input[index]!;
    const rest = input.slice(index);
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === "'") {
      const quoted = readQuoted(input, index);
      tokens.push({ kind: 'string', text: input.slice(index, quoted.end), value: quoted.value });
      index = quoted.end;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punctuation', text: char });
      index += 1;
      continue;
    }
    const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
    const number = NUMBER.exec(rest)?.[0];
    if (number !== undefined && (char !== '-' || operator === undefined)) {
      tokens.push({ kind: 'number', text: number, value: Number(number) });
      index += number.length;
      continue;
    }
    if (operator !== undefined) {
      tokens.push({ kind: 'operator', text: operator });
      index += operator.length;
      continue;
    }
    if (char === '`' || char === '"' || /\w/.test(char)) {
      const read = readWordOrIdentifier(input, index);
      tokens.push(read.token);
      index = read.end;
      continue;
    }
    throw invalidParameter(
      `Invalid filter '${input}': unexpected character '${char}' at position ${index}.`,
    );
  }
  return tokens;
}
