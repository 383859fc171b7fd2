// The playing preview, shown in place over the photo: one image object whose pixels are the current
// frame, stretched to the photo's size (frames render at the size the photo is shown at).
import { FabricImage } from 'fabric';
import { AT_PHOTO_ORIGIN, INERT, LAYER, type Stage } from './stage.js';

export class PreviewLayer {
  readonly #stage: Stage;
  readonly #element = document.createElement('canvas');
  #image: FabricImage | null = null;
  #shown: ImageBitmap | null = null;

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  show(frame: ImageBitmap | null): void {
    if (frame === this.#shown) return;
    this.#shown = frame;
    const stage = this.#stage;
    if (!frame) {
      if (this.#image) stage.remove(this.#image);
      this.#image = null;
      return;
    }
    if (this.#element.width !== frame.width || this.#element.height !== frame.height) {
      this.#element.width = frame.width;
      this.#element.height = frame.height;
      this.#image?.setElement(this.#element);
    }
    this.#element.getContext('2d')?.drawImage(frame, 0, 0);
    if (!this.#image) {
      this.#image = new FabricImage(this.#element, { ...AT_PHOTO_ORIGIN, ...INERT });
      stage.add(this.#image, LAYER.preview);
    }
    this.#image.set({ scaleX: stage.photoWidth / frame.width, scaleY: stage.photoHeight / frame.height });
    stage.render();
  }

  dispose(): void {
    this.#shown = null;
  }
}
