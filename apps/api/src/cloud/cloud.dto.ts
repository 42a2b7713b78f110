import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MFA_PREFERENCE, type MfaMethod } from '@wyze-nvr/wyze-cloud';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class ImportSummaryDto {
  @ApiProperty() at!: string;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() skipped!: number;
}

export class CloudStatusDto {
  @ApiProperty() loggedIn!: boolean;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() userId?: string;
  @ApiPropertyOptional() loggedInAt?: string;
  @ApiPropertyOptional() refreshedAt?: string;
  @ApiPropertyOptional({ type: ImportSummaryDto }) lastImport?: ImportSummaryDto;
  @ApiPropertyOptional({ description: 'Why a saved session cannot be used.' }) problem?: string;
}

export class CloudLoginDto {
  @ApiProperty({ example: 'me@example.com' })
  @IsEmail()
  @Length(3, 254)
  email!: string;

  @ApiProperty({ writeOnly: true, description: 'Sent to Wyze (hashed as its app does), never stored.' })
  @IsString()
  @Length(1, 256)
  password!: string;

  @ApiProperty({ writeOnly: true, description: 'API key id from the Wyze developer portal; never stored.' })
  @IsString()
  @Length(1, 256)
  apiKeyId!: string;

  @ApiProperty({ writeOnly: true, description: 'API key from the Wyze developer portal; never stored.' })
  @IsString()
  @Length(1, 256)
  apiKey!: string;

  @ApiPropertyOptional({ writeOnly: true, description: 'Base32 secret of the account’s authenticator app: answers the second factor without a code. Never stored.' })
  @IsOptional()
  @IsString()
  @Length(16, 128)
  totpSecret?: string;

  @ApiPropertyOptional({ enum: MFA_PREFERENCE, description: 'The second factor to use when the account offers several (default: totp, then sms, then email).' })
  @IsOptional()
  @IsIn(MFA_PREFERENCE)
  mfaMethod?: MfaMethod;
}

export class CloudMfaDto {
  @ApiProperty({ description: 'The code from the authenticator app, SMS or e-mail.', example: '123456' })
  @IsString()
  @Matches(/^\s*[0-9A-Za-z]{4,12}\s*$/, { message: 'must be the 4 to 12 letters or digits of the code' })
  code!: string;
}

export class CloudLoginOutcomeDto {
  @ApiProperty({ enum: ['logged-in', 'mfa-required'] }) state!: 'logged-in' | 'mfa-required';
  @ApiPropertyOptional({ description: 'logged-in: the account.' }) email?: string;
  @ApiPropertyOptional({ description: 'logged-in: the Wyze user id.' }) userId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'mfa-required: POST the code to /cloud/login/{loginId}/mfa within 5 minutes.' }) loginId?: string;
  @ApiPropertyOptional({ enum: MFA_PREFERENCE, description: 'mfa-required: where the code comes from (an SMS has been sent by now).' }) method?: MfaMethod;
  @ApiPropertyOptional({ enum: MFA_PREFERENCE, isArray: true, description: 'mfa-required: every second factor the account offers (log in again with mfaMethod for another).' })
  offered?: MfaMethod[];
}
