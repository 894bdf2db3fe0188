// pricecast chart page: actual vs predicted open of one series, from the sink's JSON endpoints.
// No build step: plain browser JavaScript and ECharts from its WebJar.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const chart = echarts.init($('chart'));
  const state = { dataset: null, symbol: null, model: '', points: [], visibleMad: null, visibleScored: 0 };
  window.pricecastChart = { chart: chart, state: state };   // read by the browser test

  const enc = encodeURIComponent;
  const dayMs = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
  const fmt = (x) => x == null ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: x < 1 ? 6 : 2 });

  async function getJson(url) {
    const r = await fetch(url);
    const body = await r.json();
    if (!r.ok) { throw new Error(body.error || (r.status + ' ' + url)); }
    return body;
  }

  function setUrl() {
    const q = new URLSearchParams();
    if (state.dataset) { q.set('dataset', state.dataset); }
    if (state.symbol) { q.set('symbol', state.symbol); }
    if (state.model) { q.set('model', state.model); }
    history.replaceState(null, '', '/chart?' + q.toString());
    $('pred-url').href = '/predictions.csv?dataset=' + enc(state.dataset || '') + (state.model ? '&model=' + enc(state.model) : '');
    $('accuracy-url').href = '/accuracy?dataset=' + enc(state.dataset || '') + (state.model ? '&model=' + enc(state.model) : '');
  }

  // ---- pickers ----------------------------------------------------------------------------------
  async function loadDatasets() {
    const { datasets } = await getJson('/chart/api/datasets');
    const select = $('dataset');
    select.innerHTML = '';
    for (const d of datasets) { select.add(new Option(d, d)); }
    const wanted = params.get('dataset');
    select.value = datasets.includes(wanted) ? wanted : (datasets.includes('sample') ? 'sample' : datasets[0] || '');
    await chooseDataset(select.value, params.get('symbol'));
  }

  async function chooseDataset(dataset, symbol) {
    state.dataset = dataset;
    state.symbol = null;
    $('symbol-search').value = '';
    setUrl();
    await Promise.all([searchSymbols(''), loadDatasetAccuracy()]);
    if (symbol) { await chooseSymbol(symbol); }
  }

  let searchSeq = 0;
  async function searchSymbols(q) {
    if (!state.dataset) { return; }
    const seq = ++searchSeq;
    const res = await getJson('/chart/api/symbols?dataset=' + enc(state.dataset) + '&q=' + enc(q) + '&limit=100');
    if (seq !== searchSeq) { return; }   // a newer keystroke answered first
    const list = $('symbol-list');
    list.innerHTML = '';
    for (const s of res.symbols) {
      const li = document.createElement('li');
      li.textContent = s;
      li.dataset.symbol = s;
      if (s === state.symbol) { li.className = 'selected'; }
      li.addEventListener('click', () => chooseSymbol(s));
      list.appendChild(li);
    }
    $('symbol-more').hidden = !res.more;
  }

  // ---- the series -------------------------------------------------------------------------------
  async function chooseSymbol(symbol) {
    state.symbol = symbol;
    document.querySelectorAll('#symbol-list li').forEach((li) => li.classList.toggle('selected', li.dataset.symbol === symbol));
    setUrl();
    await Promise.all([loadSeries(), loadSeriesAccuracy()]);
  }

  async function loadSeries() {
    let res;
    try {
      res = await getJson('/chart/api/series?dataset=' + enc(state.dataset) + '&symbol=' + enc(state.symbol)
          + (state.model ? '&model=' + enc(state.model) : ''));
    } catch (e) {
      $('title').textContent = state.symbol + ': ' + e.message;
      chart.clear();
      state.points = [];
      return;
    }
    state.points = res.points.map((p) => Object.assign({ t: dayMs(p.date) }, p));
    const tomorrow = res.tomorrow;
    $('tomorrow').textContent = tomorrow ? fmt(tomorrow.pred_open) + ' on ' + tomorrow.date : 'none (every forecast has its actual)';
    chart.setOption({
      animation: false,
      color: ['#1d2433', '#2f6fde', '#d9480f'],
      legend: { top: 6 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => fmt(v) },
      grid: { left: 70, right: 30, top: 40, bottom: 80 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', scale: true, name: 'open' },
      dataZoom: [{ type: 'inside' }, { type: 'slider', bottom: 20 }],
      series: [
        { name: 'actual open', type: 'line', showSymbol: false, connectNulls: false,
          data: state.points.filter((p) => p.val_open != null).map((p) => [p.t, p.val_open]) },
        { name: 'predicted open', type: 'line', showSymbol: false, lineStyle: { type: 'dashed' },
          data: state.points.map((p) => [p.t, p.pred_open]) },
        { name: "tomorrow's forecast", type: 'scatter', symbolSize: 14, z: 5,
          label: { show: true, position: 'top', formatter: (d) => fmt(d.value[1]) },
          data: tomorrow ? [[dayMs(tomorrow.date), tomorrow.pred_open]] : [] },
      ],
    }, true);
    updateMad();
  }

  // MAD over the days currently visible (the zoom window), exactly the front end's mean(|pred - val|)
  function updateMad() {
    const zoom = chart.getOption().dataZoom;
    const all = state.points;
    let from = -Infinity;
    let to = Infinity;
    if (zoom && zoom.length && zoom[0].startValue != null) { from = zoom[0].startValue; to = zoom[0].endValue; }
    let sum = 0;
    let n = 0;
    let first = null;
    let last = null;
    for (const p of all) {
      if (p.t < from || p.t > to || p.val_open == null) { continue; }
      sum += Math.abs(p.pred_open - p.val_open);
      n++;
      first = first || p.date;
      last = p.date;
    }
    state.visibleMad = n ? sum / n : null;
    state.visibleScored = n;
    $('mad').textContent = fmt(state.visibleMad);
    $('mad').dataset.mad = state.visibleMad == null ? '' : String(state.visibleMad);
    $('mad-range').textContent = n ? n + ' days, ' + first + ' to ' + last : 'no actual in range';
    $('title').textContent = state.symbol + ' (' + state.dataset + ')  MAD: ' + fmt(state.visibleMad);
  }
  chart.on('datazoom', updateMad);

  // a click anywhere in the plot picks the nearest day: its forecast's lineage
  chart.getZr().on('click', (e) => {
    if (!state.points.length || !chart.containPixel('grid', [e.offsetX, e.offsetY])) { return; }
    const t = chart.convertFromPixel({ xAxisIndex: 0 }, e.offsetX);
    let best = state.points[0];
    for (const p of state.points) { if (Math.abs(p.t - t) < Math.abs(best.t - t)) { best = p; } }
    showLineage(best);
  });

  async function showLineage(point) {
    const url = '/predictions/' + enc(state.dataset) + '/' + enc(state.symbol) + '/' + point.date
        + '?model=' + enc(point.model_version);
    $('lineage-link').href = url;
    $('lineage-link').hidden = false;
    $('lineage').textContent = 'loading ' + url;
    try {
      $('lineage').textContent = JSON.stringify(await getJson(url), null, 2);
    } catch (e) {
      $('lineage').textContent = e.message;
    }
    $('lineage').dataset.date = point.date;
  }

  // ---- accuracy ---------------------------------------------------------------------------------
  async function loadSeriesAccuracy() {
    const res = await getJson('/accuracy/' + enc(state.dataset) + '/' + enc(state.symbol));
    const body = $('accuracy').tBodies[0];
    body.innerHTML = '';
    const models = $('model');
    for (const a of res.rows) {
      const tr = body.insertRow();
      [a.model_version, a.last_target_date, fmt(a.mad_7) + ' / ' + fmt(a.naive_mad_7),
        fmt(a.mad_30) + ' / ' + fmt(a.naive_mad_30)]
          .forEach((v) => { tr.insertCell().textContent = v; });
      const flag = tr.insertCell();
      flag.textContent = a.flagged ? 'worse than naive' : 'ok';
      flag.className = a.flagged ? 'flagged' : 'ok';
      if (![...models.options].some((o) => o.value === a.model_version)) { models.add(new Option(a.model_version, a.model_version)); }
    }
    if (!res.rows.length) { body.innerHTML = '<tr><td colspan="5">no forecast of this series scored yet</td></tr>'; }
  }

  async function loadDatasetAccuracy() {
    const res = await getJson('/accuracy?dataset=' + enc(state.dataset) + (state.model ? '&model=' + enc(state.model) : ''));
    $('dataset-flags').textContent = res.series
      ? res.flagged + ' of ' + res.series + ' series flagged (30-day MAD above the naive one)'
      : 'no forecast scored yet';
  }

  // ---- wiring -----------------------------------------------------------------------------------
  $('dataset').addEventListener('change', (e) => chooseDataset(e.target.value, null));
  $('model').addEventListener('change', (e) => {
    state.model = e.target.value;
    setUrl();
    loadDatasetAccuracy();
    if (state.symbol) { loadSeries(); }
  });
  $('symbol-search').addEventListener('input', (e) => searchSymbols(e.target.value.trim()));
  $('symbol-search').addEventListener('keydown', (e) => {
    const first = document.querySelector('#symbol-list li');
    if (e.key === 'Enter' && first) { chooseSymbol(first.dataset.symbol); }
  });
  window.addEventListener('resize', () => chart.resize());
  state.model = params.get('model') || '';
  if (state.model) { $('model').add(new Option(state.model, state.model)); $('model').value = state.model; }
  loadDatasets().catch((e) => { $('title').textContent = 'cannot load: ' + e.message; });
})();
