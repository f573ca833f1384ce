import { ConvkitError } from '@convkit/core';

/**
 * Renders an SVG document as a PNG with resvg (`@resvg/resvg-js`, whose native build for each
 * platform is an npm package) at `scale` times its size. Text is drawn with the system's fonts
 * (DejaVu Sans where installed); a machine without fonts gets the picture without its text.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  let Resvg: typeof import('@resvg/resvg-js').Resvg;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch (error) {
    throw new ConvkitError(
      'png-unavailable',
      `cannot load @resvg/resvg-js to draw PNGs (${(error as Error).message.split('\n')[0]}); reinstall @convkit/train for this platform, or use the SVG`,
    );
  }
  const rendered = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return new Uint8Array(rendered.asPng());
}
