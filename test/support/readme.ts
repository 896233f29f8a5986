import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The ```sh block that follows `<!-- walkthrough: <name> -->` in the README. */
export const readmeWalkthrough = (name: string): string => {
  const text = readFileSync(README, 'utf8');
  const marker = `<!-- walkthrough: ${name} -->`;
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const block = /```sh\n([\s\S]*?)\n```/.exec(text.slice(at + marker.length));
  if (!block?.[1]) throw new Error(`README.md has no sh block after ${marker}`);
  return block[1];
};
