// Drives Debian's Chromium through playwright-core for tests: a fresh profile, no background traffic, and a
// record of every request a page makes beyond the file under test, so a test can fail on any network use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from './tools.js';

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** URLs the page asked for that are not the page itself, inline data, or served by the test. */
  outside: string[];
  close(): Promise<void>;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** `allow` says which URLs are the test's own (the page under test, a local fixture); everything else is refused and recorded. */
export async function openBrowser(options: { width?: number; height?: number; allow?: (url: string) => boolean } = {}): Promise<Browser> {
  if (!CHROMIUM) throw new Error('Chromium is not installed');
  const profile = mkdtempSync(join(tmpdir(), 'coop-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: options.width ?? 1000, height: options.height ?? 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const outside: string[] = [];
  const allow = options.allow ?? (() => false);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('about:') || allow(url)) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    outside,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
