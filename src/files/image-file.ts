import { extname } from 'node:path';
import { readRegularFile, type ReadRegularFileOptions } from './read-regular-file';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/**
 * A local image file as a `data:` URL for the model, read with {@link readRegularFile}'s limits.
 * The media type comes from the extension; `fallbackMime` is used for any other name.
 *
 * @throws FileRefusedError when the file is missing, special or too large
 */
export async function readImageDataUrl(path: string, fallbackMime: string, options: ReadRegularFileOptions): Promise<string> {
  const bytes = await readRegularFile(path, options);
  const mime = MIME[extname(path).toLowerCase()] ?? fallbackMime;
  return `data:${mime};base64,${bytes.toString('base64')}`;
}
