import type { RgbaImage } from './decode-image.js';
import type { ImageShape } from './labeled-images.js';

function hasColour(image: RgbaImage): boolean {
  const data = image.data;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) return true;
  }
  return false;
}

/**
 * Tallies what fitting decoded images to a model's input did to them (resized, colour turned
 * grey), so it is said once for a whole folder rather than per image, or not at all.
 */
export class ImageConversions {
  private readonly sizes = new Set<string>();
  private greyed = 0;

  constructor(readonly shape: ImageShape) {}

  /** Notes what fitting `image` to the shape does. */
  note(image: RgbaImage): void {
    const [h, w, c] = this.shape;
    if (image.height !== h || image.width !== w) this.sizes.add(`${image.width}x${image.height}`);
    if (c === 1 && hasColour(image)) this.greyed += 1;
  }

  /** One sentence about the images of `what`, or undefined when nothing was changed. */
  describe(what: string): string | undefined {
    const [h, w] = this.shape;
    const done: string[] = [];
    if (this.sizes.size > 0) {
      const sizes = [...this.sizes].slice(0, 3).join(', ') + (this.sizes.size > 3 ? ', ...' : '');
      done.push(`resized from ${sizes} to ${w}x${h}`);
    }
    if (this.greyed > 0) done.push(`${this.greyed} colour images turned grey (the model takes 1 channel)`);
    return done.length > 0 ? `images of ${what} ${done.join('; ')}` : undefined;
  }
}
