import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class SignInDto {
  @ApiProperty({ description: 'The API token (API_TOKEN).', writeOnly: true, minLength: 1, maxLength: 512 })
  @IsString()
  @Length(1, 512)
  token!: string;
}

export class SessionDto {
  @ApiProperty({ enum: ['cookie', 'bearer'], description: 'How this request was authenticated.' }) method!: 'cookie' | 'bearer';
  @ApiProperty({ nullable: true, type: String, description: 'Send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE made on the cookie. Null for a bearer token.' })
  csrfToken!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the session ends unless used before (each use moves it on). Null for a bearer token.' })
  expiresAt!: string | null;
}
