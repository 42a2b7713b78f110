import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'wyze-nvr:public';
/** Marks a route that needs no credential (health, sign-in, the web app's files). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
