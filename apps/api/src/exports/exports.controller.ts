import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UuidPipe } from '../common/params';
import { sendFile } from '../common/stream';
import { CreateExportDto, ExportDto, ExportPageDto, ListExportsQuery } from './exports.dto';
import { ExportsService } from './exports.service';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportsController {
  constructor(private readonly service: ExportsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Queues an export of [from, to) (at most 24 h) of one camera to one MP4 file (export-range job).' })
  @ApiAcceptedResponse({ type: ExportDto })
  create(@Body() dto: CreateExportDto): Promise<ExportDto> {
    return this.service.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'Exports, newest first, of one camera or all, paged; each with its state and progress.' })
  @ApiOkResponse({ type: ExportPageDto })
  list(@Query() q: ListExportsQuery): Promise<ExportPageDto> {
    return this.service.list(q);
  }

  @Get(':id')
  @ApiOkResponse({ type: ExportDto })
  get(@Param('id', UuidPipe) id: string): Promise<ExportDto> {
    return this.service.get(id);
  }

  @Get(':id/file')
  @ApiOperation({ summary: 'The finished file, with HTTP Range (206, 416); 409 until completed.' })
  @ApiProduces('video/mp4')
  @ApiResponse({ status: 200, content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 206, description: 'Partial content' })
  async file(@Param('id', UuidPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { file } = await this.service.file(id);
    await sendFile(req, res, file, { 'Content-Type': 'video/mp4', 'Content-Disposition': `attachment; filename="export-${id}.mp4"` });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Cancels a queued or active export (200, state cancelled, no file left), or deletes a finished one and its file (204).' })
  @ApiOkResponse({ type: ExportDto })
  @ApiResponse({ status: 204, description: 'Deleted' })
  async delete(@Param('id', UuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<ExportDto | undefined> {
    const out = await this.service.delete(id);
    if (!out) res.status(204);
    return out;
  }
}
