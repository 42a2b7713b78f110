import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@wyze-nvr/config';
import { registerSecret } from '@wyze-nvr/log';
import { API_DEPS, type ApiDeps } from '../api.deps';

/** Seals ENRs the way the cloud importer does (SecretBox, no context), so the recorder opens both alike. */
@Injectable()
export class CryptoRepository {
  private readonly box: SecretBox;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.box = new SecretBox(deps.secretKey);
  }

  sealEnr(enr: string): string {
    // Redacted from every later log line, whatever logs it by mistake.
    registerSecret(enr);
    return this.box.encrypt(enr);
  }
}
