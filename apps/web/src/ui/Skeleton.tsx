/** A quiet placeholder of the size of what is loading (hidden from screen readers; the region says it is busy). */
export function Skeleton({ height = 16, width = '100%' }: { height?: number; width?: number | string }) {
  return <span class="skeleton" aria-hidden="true" style={{ height: `${height}px`, width: typeof width === 'number' ? `${width}px` : width }} />;
}
