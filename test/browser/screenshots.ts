/**
 * The pictures of the widget in the README and docs/widget.md, taken from the real built widget
 * on the local server in Chromium: light, dark and right to left. Run after `npm run build:web`:
 *
 *   npx tsx test/browser/screenshots.ts
 *
 * It writes docs/images/widget-light.png, widget-dark.png and widget-rtl.png.
 */
import { join } from 'node:path';
import {
  launchChromium,
  newArticle,
  openThread,
  serverClient,
  startServer,
  thread,
} from './browser';

const IMAGES = join(__dirname, '..', '..', 'docs', 'images');

/** The same conversation for each picture, in the language of the picture. */
const THREADS = {
  en: [
    { name: 'Ada', body: 'A clear write-up.\n\nThe figures are at https://example.org/report' },
    { name: 'Grace', body: 'Thanks for the sources, especially the second table.' },
  ],
  ar: [
    { name: 'ليلى', body: 'مقال واضح.\n\nالأرقام في https://example.org/report' },
    { name: 'عمر', body: 'شكرا على المصادر.' },
  ],
};

const PICTURES = [
  { file: 'widget-light.png', lang: 'en', attributes: 'theme="light"' },
  { file: 'widget-dark.png', lang: 'en', attributes: 'theme="dark"' },
  { file: 'widget-rtl.png', lang: 'ar', attributes: 'theme="light"' },
] as const;

async function main(): Promise<void> {
  const local = await startServer();
  const browser = await launchChromium();
  try {
    const server = serverClient(local.url);
    const context = await browser.newContext({
      viewport: { width: 672, height: 900 },
      deviceScaleFactor: 1,
    });
    for (const picture of PICTURES) {
      const article = newArticle(picture.file);
      for (const comment of THREADS[picture.lang]) await server.comment(article, comment);
      for (const [visitor, reaction] of [
        ['a', 'happy'],
        ['b', 'happy'],
        ['c', 'in-love'],
      ] as const) {
        await server.react(article, `screenshot-visitor-${visitor}`, reaction);
      }
      const page = await openThread(context, local.url, article, {
        attributes: picture.attributes,
        htmlAttributes: `lang="${picture.lang}"`,
      });
      const root = thread(page);
      // The toggle is the thread's first button after the reactions: open the comments.
      await root.locator('button[aria-expanded="false"]').first().click();
      await root.locator('li.comment').nth(1).waitFor();
      // The widget leaves its background to the page: a site in dark mode has a dark page.
      if (picture.attributes.includes('dark')) {
        await page.evaluate(() => {
          document.body.style.background = '#121214';
        });
      }
      await root.screenshot({ path: join(IMAGES, picture.file) });
      await page.close();
      console.log(`wrote docs/images/${picture.file}`);
    }
  } finally {
    await browser.close();
    await local.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
