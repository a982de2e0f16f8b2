// Opens a page in Debian's headless Chromium (puppeteer-core, never a browser download) with the network
// shut: every request other than file:// and data: is aborted and recorded, as are console errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { pathExists } from './workspace-files.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type OfflinePage = {
  page: Page;
  /** console.error messages and uncaught page errors. */
  consoleErrors: string[];
  /** URLs the page tried to fetch that are not file:// or data: (all aborted). */
  blockedRequests: string[];
  close: () => Promise<void>;
};

export type OpenOfflinePageOptions = { viewport?: { width: number; height: number }; executablePath?: string };

export async function openOfflinePage(htmlPath: string, options: OpenOfflinePageOptions = {}): Promise<OfflinePage> {
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  if (!(await pathExists(executablePath)))
    throw new Error(`${executablePath} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  const userDataDir = await mkdtemp(join(tmpdir(), 'lab-chromium-'));
  let browser: Browser | null = null;
  try {
    browser = await puppeteer.launch({ executablePath, headless: true, args: [...chromiumFlags, `--user-data-dir=${userDataDir}`], userDataDir });
    const page = await browser.newPage();
    await page.setViewport(options.viewport ?? { width: 1366, height: 900 });
    const consoleErrors: string[] = [];
    const blockedRequests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('file:') || url.startsWith('data:')) return void request.continue();
      blockedRequests.push(url);
      void request.abort();
    });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const opened = browser;
    return {
      page,
      consoleErrors,
      blockedRequests,
      close: async () => {
        await opened.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A PNG of the first screen of the page at a laptop viewport. */
export async function screenshotHtml(htmlPath: string, pngPath: string): Promise<{ consoleErrors: string[]; blockedRequests: string[] }> {
  const opened = await openOfflinePage(htmlPath);
  try {
    await opened.page.screenshot({ path: pngPath as `${string}.png`, fullPage: false });
    return { consoleErrors: opened.consoleErrors, blockedRequests: opened.blockedRequests };
  } finally {
    await opened.close();
  }
}
