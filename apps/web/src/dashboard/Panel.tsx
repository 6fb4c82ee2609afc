import type { ComponentChildren } from 'preact';
import { useT } from '../i18n.js';
import { CsvButton } from '../ui/CsvButton.js';
import { DataTable, type Column } from '../ui/DataTable.js';
import { Provenance } from '../ui/Provenance.js';
import { Skeleton } from '../ui/Skeleton.js';
import type { ApiProblem } from '../api.js';
import type { Origin } from './types.js';

export interface PanelProps {
  id: string;
  title: string;
  description?: ComponentChildren;
  /** The chart; null while there is nothing to draw yet. */
  chart: ComponentChildren;
  columns: readonly Column[];
  rows: readonly Record<string, unknown>[];
  csvName: string;
  origin: Origin | null;
  loading: boolean;
  error: ApiProblem | null;
  onRetry?: () => void;
  /** Table under the chart instead of beside it (wide tables). */
  stacked?: boolean;
  chartHeight?: number;
  class?: string;
}

/** One chart with its numbers as a table beside it, a CSV download, and where the numbers came from beneath. */
export function Panel(p: PanelProps) {
  const t = useT();
  const headingId = `${p.id}-title`;
  const hasData = p.rows.length > 0 || (!p.loading && !p.error);
  return (
    <section class={`panel${p.stacked ? ' panel-stacked' : ''}${p.class ? ` ${p.class}` : ''}`} aria-labelledby={headingId} aria-busy={p.loading ? 'true' : 'false'}>
      <header class="panel-header">
        <div>
          <h2 id={headingId}>{p.title}</h2>
          {p.description ? <p class="panel-desc">{p.description}</p> : null}
        </div>
        <CsvButton filename={p.csvName} columns={p.columns} rows={p.rows} />
      </header>
      {p.error ? (
        <div class="alert alert-error" role="alert">
          {t('panel.error', { detail: p.error.detail || p.error.title })}{' '}
          {p.onRetry ? (
            <button type="button" class="button button-small" onClick={p.onRetry}>
              {t('ui.retry')}
            </button>
          ) : null}
        </div>
      ) : null}
      {!hasData && p.loading ? (
        <div class="panel-body">
          <div class="panel-chart">
            <Skeleton height={p.chartHeight ?? 220} />
          </div>
          <div class="panel-table">
            <Skeleton height={14} />
            <Skeleton height={14} width="80%" />
            <Skeleton height={14} width="60%" />
          </div>
          <span class="sr-only">{t('panel.loading')}</span>
        </div>
      ) : (
        <div class={`panel-body${p.loading ? ' is-stale' : ''}`}>
          <div class="panel-chart">{p.chart}</div>
          <div class="panel-table" tabIndex={0} role="region" aria-label={t('panel.table', { title: p.title })}>
            <DataTable caption={t('panel.table', { title: p.title })} captionHidden columns={p.columns} rows={p.rows} empty={t('panel.empty')} />
          </div>
        </div>
      )}
      <footer class="panel-footer">{p.origin ? <Provenance position={p.origin.position} headHash={p.origin.headHash} /> : null}</footer>
    </section>
  );
}
