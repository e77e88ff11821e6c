import { Type } from 'class-transformer';
import { Describe } from './schema-meta';
import { IsIn, IsOptional, IsString, ValidateNested } from './validators';

/** `data` of an InputItem; which member is used depends on the tag (WIRE.md §5). */
export class InputItemData {
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsString() image_url?: string;
  @IsOptional() @IsString() path?: string;
}

/** `InputItem`: `{type:"text",data:{text}}` | `{type:"image",data:{image_url}}` | `{type:"localImage",data:{path}}`. */
@Describe('One piece of user input: `text` (data.text), `image` (data.image_url, a URL or data URL) or `localImage` (data.path, read by the server).')
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

/** Whether any item is a local image, i.e. whether reading the input reads files. */
export function hasLocalImage(items: InputItem[]): boolean {
  return items.some((item) => item.type === 'localImage');
}
