import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, ValidateNested } from '../validation/class-validator';
import type { ContentItem } from './items';

/** `data` of an InputItem; which member is used depends on the tag (WIRE.md §5). */
export class InputItemData {
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsString() image_url?: string;
  @IsOptional() @IsString() path?: string;
}

/** `InputItem`: `{type:"text",data:{text}}` | `{type:"image",data:{image_url}}` | `{type:"localImage",data:{path}}`. */
export class InputItem {
  @IsIn(['text', 'image', 'localImage']) type!: 'text' | 'image' | 'localImage';
  @ValidateNested() @Type(() => InputItemData) data!: InputItemData;
}

/** Checks the member each tag needs; class-validator checks types, this checks presence. */
export function inputItemProblems(items: InputItem[], field = 'items'): string[] {
  const problems: string[] = [];
  items.forEach((item, i) => {
    const need = item.type === 'text' ? 'text' : item.type === 'image' ? 'image_url' : 'path';
    if (typeof item.data?.[need] !== 'string') problems.push(`${field}.${i}.data.${need}: must be a string`);
  });
  return problems;
}

/** The user content of input items, as history content parts. */
export function toContent(items: InputItem[]): ContentItem[] {
  const out: ContentItem[] = [];
  for (const item of items) {
    if (item.type === 'text') out.push({ type: 'input_text', text: item.data.text ?? '' });
    else if (item.type === 'image') out.push({ type: 'input_image', image_url: item.data.image_url ?? '' });
    else out.push({ type: 'input_image', image_url: localImageUrl(item.data.path ?? '') });
  }
  return out;
}

/** A local image as a data URL (read when the turn starts); unreadable files become a text note. */
function localImageUrl(path: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  try {
    const bytes = readFileSync(path);
    const ext = path.toLowerCase().split('.').pop();
    const mime = ext === 'png' ? 'image/png' : ext === 'gif' ? 'image/gif' : ext === 'webp' ? 'image/webp' : 'image/jpeg';
    return `data:${mime};base64,${bytes.toString('base64')}`;
  } catch {
    return '';
  }
}
