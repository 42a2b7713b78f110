import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'wyze-nvr:public';
/** Marks a route that needs no bearer token (health only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
