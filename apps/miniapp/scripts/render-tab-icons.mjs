// Draws the tab bar icons (WeChat wants PNG files, 81×81) from the SVG below with headless
// Chromium. Run it after changing a shape: node scripts/render-tab-icons.mjs
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'

const out = fileURLToPath(new URL('../src/assets/tab/', import.meta.url))
const COLORS = { normal: '#7f7f7f', active: '#07c160' }
const SHAPES = {
  // a calendar page
  home: `<rect x="12" y="18" width="57" height="51" rx="8"/><path d="M12 34h57M27 10v14M54 10v14"/>
         <path d="M28 50l9 8 16-16"/>`,
  // a ticket list
  bookings: `<rect x="14" y="10" width="53" height="61" rx="8"/><path d="M27 28h27M27 41h27M27 54h16"/>`,
  // a person
  profile: `<circle cx="40.5" cy="28" r="14"/><path d="M13 70c3-15 14-22 27.5-22S65 55 68 70"/>`,
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
})
const page = await browser.newPage({ viewport: { width: 81, height: 81 }, deviceScaleFactor: 1 })
mkdirSync(out, { recursive: true })
for (const [name, shape] of Object.entries(SHAPES)) {
  for (const [state, color] of Object.entries(COLORS)) {
    await page.setContent(`<body style="margin:0;background:transparent">
      <svg xmlns="http://www.w3.org/2000/svg" width="81" height="81" fill="none" stroke="${color}"
        stroke-width="6" stroke-linecap="round" stroke-linejoin="round">${shape}</svg></body>`)
    await page
      .locator('svg')
      .screenshot({ path: `${out}${name}${state === 'active' ? '-active' : ''}.png`, omitBackground: true })
  }
}
await browser.close()
console.log(`tab icons written to ${out}`)
