import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StorageDto, StorageService } from './storage.service';

@ApiTags('storage')
@ApiBearerAuth()
@Controller('storage')
export class StorageController {
  constructor(private readonly service: StorageService) {}

  @Get()
  @ApiOperation({ summary: 'Bytes recorded per camera, the recording rate and an estimate of the days kept at that rate; volume size and free space.' })
  @ApiOkResponse({ type: StorageDto })
  get(): Promise<StorageDto> {
    return this.service.usage();
  }
}
