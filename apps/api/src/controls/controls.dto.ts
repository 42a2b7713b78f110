import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONTROL_NAMES } from '@wyze-nvr/tutk/controls';
import { IsDefined } from 'class-validator';

const VALUES =
  'switches (status-light, ir-led, siren, spotlight, floodlight, pan-scan, motion-tracking): true | false; night-vision: "on" | "off" | "auto"; ' +
  'time-zone: integer hours -11..13; camera-time: "now" or an ISO 8601 UTC time; cruise-points: [{horizontal 0..255, vertical 0..40, waitSeconds 10..255}] (1..16); ' +
  'ptz: {"action":"step","direction":"left|right|up|down","speed"?:1..9} | {"action":"rotate","horizontal":-360..360,"vertical":-180..180,"speed"?} (degrees, right and up positive) | {"action":"goto","horizontal":0..350,"vertical":0..40}; video is read-only.';

export class SetControlDto {
  @ApiProperty({ description: `The new value. ${VALUES}`, oneOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'integer' }, { type: 'object' }, { type: 'array', items: { type: 'object' } }], example: 'auto' })
  // Checked per control by ControlsService (the same checks the recorder makes), with the reason in the 400.
  @IsDefined({ message: 'is required' })
  value!: unknown;
}

export class ControlDto {
  @ApiProperty({ enum: CONTROL_NAMES })
  name!: string;

  @ApiProperty({ enum: ['switch', 'select', 'number', 'time', 'info', 'points', 'ptz'], description: 'How to present it.' })
  kind!: string;

  @ApiPropertyOptional({ type: [String], description: 'For a select: the values it takes.' })
  options?: string[];

  @ApiPropertyOptional({ description: 'For a number.' })
  min?: number;

  @ApiPropertyOptional()
  max?: number;

  @ApiProperty({ description: 'The camera can be asked for its value (the floodlight and PTZ cannot).' })
  readable!: boolean;

  @ApiProperty({ description: 'PUT changes it (video parameters are read-only).' })
  writable!: boolean;

  @ApiProperty({ description: 'Needs an accessory fitted (the Cam v3/v4 spotlight); a camera without it does not answer.' })
  accessory!: boolean;

  @ApiProperty({ description: `Its value now as the camera reports it (the forms PUT takes; video: {bitrateKBps, frameSize, fps, horizontalFlip, verticalFlip}); for a control that cannot be read, the value last set through this recorder; null when unknown.`, nullable: true, oneOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'integer' }, { type: 'object' }, { type: 'array', items: { type: 'object' } }] })
  value!: unknown;

  @ApiPropertyOptional({ description: 'Why a readable value is null, e.g. "the camera did not answer".' })
  error?: string;

  @ApiPropertyOptional({ description: 'camera-time only: the camera clock minus the recorder’s when it was read, seconds (to about half a second: the camera keeps whole seconds).' })
  offsetSeconds?: number;

  @ApiProperty({ type: [Number], description: 'The K-commands behind it: the read, then the change(s).', example: [10040, 10042] })
  commands!: number[];
}

export class ControlsDto {
  @ApiProperty()
  cameraId!: number;

  @ApiProperty({ example: 'HL_PAN3' })
  model!: string;

  @ApiProperty({ type: [ControlDto], description: 'Every control the model has, in a fixed order.' })
  controls!: ControlDto[];
}

export class ControlSetDto {
  @ApiProperty({ enum: CONTROL_NAMES })
  name!: string;

  @ApiProperty({ description: 'The value the camera acknowledged.', oneOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'integer' }, { type: 'object' }, { type: 'array', items: { type: 'object' } }] })
  value!: unknown;
}
