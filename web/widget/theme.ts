/**
 * Light or dark: the element's `theme` ("light", "dark", or "auto", the default). Auto follows
 * the site's own switch when `theme-source` names it, a CSS selector that <html> matches while
 * the site is dark (".dark", "[data-theme=dark]"), else prefers-color-scheme. Either is watched,
 * so the thread changes with the site or the system without a reload.
 */
export function followTheme(element: HTMLElement, box: HTMLElement, signal: AbortSignal): void {
  const html = document.documentElement;
  const system = matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    const theme = element.getAttribute('theme');
    const source = element.getAttribute('theme-source');
    let dark = system.matches;
    try {
      if (source) dark = html.matches(source);
    } catch {
      // Not a selector: the system's scheme decides.
    }
    if (theme === 'light' || theme === 'dark') dark = theme === 'dark';
    box.classList.toggle('dark', dark);
  };
  system.addEventListener('change', apply, { signal });
  const watch = new MutationObserver(apply);
  watch.observe(html, { attributes: true });
  watch.observe(element, { attributeFilter: ['theme', 'theme-source'] });
  // A view replaced or removed stops following.
  signal.addEventListener('abort', () => watch.disconnect());
  apply();
}
