/**
 * The console page's security headers, one definition for the local server and the CDN. The
 * Content-Security-Policy allows only the page's own script and stylesheet (no inline code, no
 * eval), requests only to the API and, on AWS, Cognito; `frame-ancestors 'none'` refuses any
 * framing (clickjacking), which X-Frame-Options repeats for older browsers.
 */
export function consoleContentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${connectSources.map((source) => ` ${source}`).join('')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function consoleSecurityHeaders(connectSources: readonly string[]): Record<string, string> {
  return {
    'content-security-policy': consoleContentSecurityPolicy(connectSources),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}
