import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, registerDecorator, type ValidationOptions } from 'class-validator';
import { IsDay } from '../../projections/query-params.js';
import { ListKnownAtQueryDto } from '../shared/list-time.request.dto.js';

/** A day not before the day in another property (when both are present). */
function IsNotBefore(other: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotBefore',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [other],
      options: { message: `$property must not be before ${other}`, ...options },
      validator: {
        validate: (value: unknown, args) => {
          const start = (args?.object as Record<string, unknown>)[other];
          return typeof value !== 'string' || typeof start !== 'string' || value >= start;
        },
      },
    });
}

export class GetRevolvingDoorRequestDto extends ListKnownAtQueryDto {
  @ApiProperty({ description: 'First day of the period (YYYY-MM-DD), included', example: '2026-01-08' })
  @IsDefined({ message: 'from is required' })
  @IsDay()
  from!: string;

  @ApiProperty({ description: 'Last day of the period (YYYY-MM-DD), included', example: '2026-03-01' })
  @IsDefined({ message: 'to is required' })
  @IsDay()
  @IsNotBefore('from')
  to!: string;
}
