import { setLogSink } from '../../lambda/http/log';

/**
 * Sends the handlers' log lines to an array instead of stdout, for the rest of the test file
 * (each Jest test file has its own module registry, so other files are unaffected).
 */
export function captureLogs(): string[] {
  const lines: string[] = [];
  setLogSink((line) => {
    lines.push(line);
  });
  return lines;
}
