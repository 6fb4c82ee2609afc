import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApplicationError } from '#application';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route ids are UUIDs; anything else is a 400 naming the parameter, never a lookup. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw ApplicationError.validationFailed([{ field: this.name, messages: [`${this.name} must be a UUID`] }]);
    return value.toLowerCase();
  }
}

export const CaseIdPipe = new UuidParamPipe('id');
export const RequestIdPipe = new UuidParamPipe('requestId');
