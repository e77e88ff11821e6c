import { IsString, ValidateBy } from '../validation/class-validator';

/** `loginApiKey` params (WIRE.md §5.14). */
export class LoginApiKeyParams {
  // The rule's message never quotes the value: it is a secret.
  @IsString()
  @ValidateBy({ name: 'notBlank', validator: { validate: (v: unknown) => typeof v === 'string' && v.trim() !== '', defaultMessage: () => 'apiKey must not be empty' } })
  apiKey!: string;
}
