/**
 * The drawing pad: strokes in white on black, as the `shapes` images are bright shapes on a dark
 * ground, and a dropped image drawn to fill it. `pixels(h, w)` reads it back at the model's input size.
 */
export class SketchPad {
  private drawing = false;
  private readonly g: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const g = canvas.getContext('2d', { willReadFrequently: true });
    if (!g) throw new Error('this browser gives no 2D canvas context');
    this.g = g;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      this.g.beginPath();
      this.g.moveTo(e.offsetX, e.offsetY);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      this.g.lineTo(e.offsetX, e.offsetY);
      this.g.stroke();
    });
    for (const end of ['pointerup', 'pointerleave'] as const) canvas.addEventListener(end, () => (this.drawing = false));
    canvas.addEventListener('dragover', (e) => e.preventDefault());
    canvas.addEventListener('drop', (e) => {
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      if (file) void this.drawImageFile(file);
    });
  }

  clear(): void {
    this.g.fillStyle = '#000';
    this.g.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.g.strokeStyle = '#fff';
    this.g.lineWidth = this.canvas.width / 14;
    this.g.lineCap = 'round';
    this.g.lineJoin = 'round';
  }

  /** Draws an image file scaled to fill the pad. */
  async drawImageFile(file: Blob): Promise<void> {
    const bitmap = await createImageBitmap(file);
    this.g.drawImage(bitmap, 0, 0, this.canvas.width, this.canvas.height);
    bitmap.close();
  }

  /** Puts raw pixels (h x w x channels, 0-255) on the pad, for tests and examples. */
  drawPixels(pixels: Uint8Array, h: number, w: number, channels: number): void {
    const small = new ImageData(w, h);
    for (let i = 0; i < h * w; i++) {
      for (let k = 0; k < 3; k++) small.data[4 * i + k] = pixels[i * channels + (channels === 1 ? 0 : k)] as number;
      small.data[4 * i + 3] = 255;
    }
    const scratch = document.createElement('canvas');
    scratch.width = w;
    scratch.height = h;
    scratch.getContext('2d')?.putImageData(small, 0, 0);
    this.g.imageSmoothingEnabled = false;
    this.g.drawImage(scratch, 0, 0, this.canvas.width, this.canvas.height);
  }

  /** The pad resampled to `h` x `w` with `channels` channels (grey is the mean of red, green, blue). */
  pixels(h: number, w: number, channels: number): Uint8Array {
    const scratch = document.createElement('canvas');
    scratch.width = w;
    scratch.height = h;
    const g = scratch.getContext('2d', { willReadFrequently: true });
    if (!g) throw new Error('this browser gives no 2D canvas context');
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = 'high';
    g.drawImage(this.canvas, 0, 0, w, h);
    const rgba = g.getImageData(0, 0, w, h).data;
    const out = new Uint8Array(h * w * channels);
    for (let i = 0; i < h * w; i++) {
      if (channels === 1) out[i] = Math.round(((rgba[4 * i] as number) + (rgba[4 * i + 1] as number) + (rgba[4 * i + 2] as number)) / 3);
      else for (let k = 0; k < channels; k++) out[i * channels + k] = rgba[4 * i + Math.min(k, 2)] as number;
    }
    return out;
  }
}
