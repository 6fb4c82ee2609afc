import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessTokens, type AccessTokenSummary, type CommandContext as Context } from '#application';
import { UuidParamPipe } from '../cases/uuid-param.pipe.js';
import { CommandContext } from '../http/command-context.js';
import { IssueTokenRequestDto } from './issue-token.request.dto.js';
import { Roles } from './roles.decorator.js';

/** Token administration (admin only). Issuing and revoking are recorded in the event log. */
@ApiTags('access tokens')
@Roles('admin')
@Controller('admin/tokens')
export class AccessTokensHttpController {
  constructor(private readonly tokens: AccessTokens) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Issue a token for a role; the token is in this answer only (only its SHA-256 is kept)' })
  @ApiCreatedResponse({ description: '{id, token}' })
  async issue(@Body() body: IssueTokenRequestDto, @CommandContext() ctx: Context): Promise<{ id: string; token: string }> {
    const { id, token } = await this.tokens.issue({ role: body.role, name: body.name, expiresAt: body.expiresAt ?? null }, ctx);
    return { id, token };
  }

  @Get()
  @ApiOperation({ summary: 'Every token with its role and state; never the token or its hash' })
  @ApiOkResponse({ description: '{items: [{id, name, role, createdAt, expiresAt, revokedAt, status}]}' })
  async list(): Promise<{ items: AccessTokenSummary[] }> {
    return { items: await this.tokens.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token: refused from the next request on' })
  @ApiNoContentResponse({ description: 'revoked (or already revoked)' })
  async revoke(@Param('id', new UuidParamPipe('id')) id: string, @CommandContext() ctx: Context): Promise<void> {
    await this.tokens.revoke(id, ctx);
  }
}
