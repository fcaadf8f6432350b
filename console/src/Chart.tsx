import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/**
 * Horizontal bars of amounts. ECharts draws numbers, so each yuan string becomes a number here, for the
 * picture only; every figure shown as text comes from the strings themselves.
 */
export default function AmountBars({ bars, label }: { bars: { name: string; value: string }[]; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    chart.setOption({
      animation: false,
      grid: { left: 110, right: 40, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `¥${value.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: bars.map((bar) => bar.name), inverse: true },
      series: [{ type: 'bar', data: bars.map((bar) => Number(bar.value)), itemStyle: { color: '#1d4ed8' }, barMaxWidth: 22 }],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [bars]);
  return <div ref={element} role="img" aria-label={label} style={{ height: 40 + bars.length * 44, width: '100%' }} />;
}
