import { IsUUID } from '../validation/class-validator';

/** `cancelLoginChatGpt` params (WIRE.md §5.9); ids are UUIDs. */
export class CancelLoginChatGptParams {
  @IsUUID() loginId!: string;
}
