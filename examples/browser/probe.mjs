import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: process.argv.slice(2) });
const page = await browser.newPage();
page.on('crash', () => console.log('CRASH'));
await page.goto('about:blank');
console.log(await page.evaluate(() => { const c = document.createElement('canvas'); const g = c.getContext('webgl2'); if (!g) return 'no webgl2'; const d = g.getExtension('WEBGL_debug_renderer_info'); return g.getParameter(d ? d.UNMASKED_RENDERER_WEBGL : g.RENDERER) + ' float:' + !!g.getExtension('EXT_color_buffer_float'); }));
await browser.close();
