import { readImageDataUrl } from '../files/image-file';
import { FileRefusedError, type ReadRegularFileOptions } from '../files/read-regular-file';
import type { InputItem } from '../protocol/input-items';
import type { ContentItem } from '../protocol/items';

/** A `localImage` item whose file was not read; `field` names the item, e.g. `items.1.data.path`. */
export class LocalImageRefusedError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'LocalImageRefusedError';
  }
}

/**
 * The user content of input items, as history content parts. Local images are read here, in
 * order, each a regular file within `options.maxBytes` (FIFOs and devices are refused, never
 * waited on); the read stops when `options.signal` aborts.
 *
 * @throws LocalImageRefusedError for the first local image that cannot be read
 */
export async function toContent(items: InputItem[], options: ReadRegularFileOptions, field = 'items'): Promise<ContentItem[]> {
  const out: ContentItem[] = [];
  for (const [i, item] of items.entries()) {
    if (item.type === 'text') out.push({ type: 'input_text', text: item.data.text ?? '' });
    else if (item.type === 'image') out.push({ type: 'input_image', image_url: item.data.image_url ?? '' });
    else out.push({ type: 'input_image', image_url: await localImageUrl(item.data.path ?? '', options, `${field}.${i}.data.path`) });
  }
  return out;
}

async function localImageUrl(path: string, options: ReadRegularFileOptions, field: string): Promise<string> {
  try {
    return await readImageDataUrl(path, 'image/jpeg', options);
  } catch (err) {
    if (err instanceof FileRefusedError) throw new LocalImageRefusedError(field, `cannot read image ${path}: ${err.message}`);
    throw err;
  }
}
