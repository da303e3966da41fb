/**
 * Structured JSON log lines. Only the fields named here are ever written: never a request
 * body, a query string, a header or an error message, any of which could carry personal data.
 */
export interface AccessLogEntry {
  requestId: string;
  route: string;
  status: number;
  durationMs: number;
  /** For faults: the error's class name and where it was thrown, never its message. */
  error?: { name: string; at?: string };
}

export type LogSink = (line: string) => void;

let sink: LogSink = (line) => process.stdout.write(`${line}\n`);

/** Tests capture what would be logged. */
export function setLogSink(next: LogSink): void {
  sink = next;
}

export function logRequest(entry: AccessLogEntry): void {
  sink(
    JSON.stringify({
      level: entry.status >= 500 ? 'ERROR' : 'INFO',
      timestamp: new Date().toISOString(),
      message: 'request',
      ...entry,
    }),
  );
}

/** The first stack frame, which names code, not data. */
export function throwSite(error: Error): string | undefined {
  return error.stack
    ?.split('\n')
    .find((line) => line.trimStart().startsWith('at '))
    ?.trim();
}
