/**
 * What is wrong with an import's source and file, in words, before anything is read or sent:
 * an unknown source, a missing or empty file, or a file of the other kind (JSON Lines given as
 * WordPress or Disqus XML, or XML given as a Talkback export).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORAL_COLLECTIONS, coralFile } from './coral';

export const SOURCES = ['wordpress', 'disqus', 'talkback', 'coral'] as const;
export type Source = (typeof SOURCES)[number];

/** Enough of a file's start to see its first character past a byte-order mark and blank space. */
const SNIFF_BYTES = 4096;

function firstCharacter(file: string): string | undefined {
  const descriptor = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const read = readSync(descriptor, buffer, 0, SNIFF_BYTES, 0);
    return buffer
      .subarray(0, read)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()[0];
  } finally {
    closeSync(descriptor);
  }
}

/**
 * A Coral export is a folder of mongoexport's line-delimited JSON: stories, users and comments,
 * each `<name>.json` (or `.jsonl`), each starting with a document.
 */
function coralFolderProblem(dir: string): string | undefined {
  try {
    if (!statSync(dir).isDirectory()) {
      return `${dir} is not a folder: a Coral export is a folder of stories.json, users.json and comments.json (mongoexport's output).`;
    }
  } catch {
    return `there is no folder ${dir}.`;
  }
  for (const collection of CORAL_COLLECTIONS) {
    const file = coralFile(dir, collection);
    if (file === undefined) {
      return `${dir} has no ${collection}.json: export Coral's ${collection} collection with mongoexport --collection=${collection} --out=${join(dir, `${collection}.json`)}.`;
    }
    const first = statSync(file).size === 0 ? undefined : firstCharacter(file);
    if (first === '[') {
      return `${file} is a JSON array: export with mongoexport without --jsonArray, one document a line.`;
    }
    if (first !== undefined && first !== '{') {
      return `${file} is not mongoexport's JSON (it starts with ${JSON.stringify(first)}).`;
    }
  }
  return undefined;
}

/** The problem with importing `file` as `source`, in one sentence, or undefined when none. */
export function importInputProblem(source: string, file: string): string | undefined {
  if (!SOURCES.includes(source as Source)) {
    return `unknown source "${source}": use wordpress, disqus, talkback or coral.`;
  }
  if (source === 'coral') return coralFolderProblem(file);
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return `${file} is not a file.`;
    size = stat.size;
  } catch {
    return `there is no file ${file}.`;
  }
  const first = size === 0 ? undefined : firstCharacter(file);
  if (first === undefined) return `${file} is empty: nothing to import.`;
  if (source === 'talkback' && first === '<') {
    return `${file} is XML, not a Talkback export (JSON Lines): for a WordPress or Disqus file use import wordpress or import disqus.`;
  }
  if (source !== 'talkback' && first !== '<') {
    const talkback = first === '{' ? `; for a Talkback export use import talkback ${file}` : '';
    return `${file} is not XML (it starts with ${JSON.stringify(first)}): a ${source === 'wordpress' ? 'WordPress export (WXR)' : 'Disqus export'} is an XML file${talkback}.`;
  }
  return undefined;
}
