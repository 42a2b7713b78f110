import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CameraIdPipe } from '../common/params';
import { PageQuery } from '../common/range.dto';
import { CameraDto, CameraPageDto, CreateCameraDto, UpdateCameraDto } from './cameras.dto';
import { CamerasService } from './cameras.service';

@ApiTags('cameras')
@ApiBearerAuth()
@Controller('cameras')
export class CamerasController {
  constructor(private readonly service: CamerasService) {}

  @Get()
  @ApiOperation({ summary: 'Cameras by id, paged, with live status. The ENR is never returned.' })
  @ApiOkResponse({ type: CameraPageDto })
  list(@Query() q: PageQuery): Promise<CameraPageDto> {
    return this.service.list(q.limit, q.cursor);
  }

  @Post()
  @ApiOperation({ summary: 'Adds a camera; the ENR is encrypted with SECRET_KEY before it is stored.' })
  @ApiCreatedResponse({ type: CameraDto })
  create(@Body() dto: CreateCameraDto): Promise<CameraDto> {
    return this.service.create(dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: CameraDto })
  get(@Param('id', CameraIdPipe) id: number): Promise<CameraDto> {
    return this.service.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes fields of a camera; a new ENR replaces the stored one.' })
  @ApiOkResponse({ type: CameraDto })
  update(@Param('id', CameraIdPipe) id: number, @Body() dto: UpdateCameraDto): Promise<CameraDto> {
    return this.service.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes a camera without recordings or exports (409 otherwise).' })
  @ApiNoContentResponse()
  delete(@Param('id', CameraIdPipe) id: number): Promise<void> {
    return this.service.delete(id);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: CameraDto })
  enable(@Param('id', CameraIdPipe) id: number): Promise<CameraDto> {
    return this.service.setEnabled(id, true);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: CameraDto })
  disable(@Param('id', CameraIdPipe) id: number): Promise<CameraDto> {
    return this.service.setEnabled(id, false);
  }
}
