-- wrk script for scripts/loadtest.sh: mixed route queries (JSON API and OSRM service, several
-- exclusion sets, modes and objectives) drawn at random with a fixed seed.
local paths = {
  "/api/route?from=Almaty&to=Istanbul&avoid=RU,IR",
  "/api/route?from=Almaty&to=Istanbul&avoid=RU,IR&by=time&alternatives=1",
  "/api/route?from=Xi%27an&to=Duisburg&modes=rail",
  "/api/route?from=Xi%27an&to=Duisburg&avoid=RU,BY,IR",
  "/api/route?from=Shanghai&to=Rotterdam&modes=sea&avoid_passage=suez",
  "/api/route?from=Mumbai&to=Rotterdam&by=cost",
  "/api/route?from=Baku&to=Tbilisi",
  "/api/route?from=Jebel%20Ali&to=Haifa&modes=rail&allow_planned=true",
  "/api/route?from=Khorgos&to=Aktau%20port",
  "/api/route?from=Warsaw&to=Istanbul&avoid=BY,UA&by=co2",
  "/api/route?from=Tashkent&to=Poti&avoid=RU,IR",
  "/api/route?from=Istanbul&to=Jebel%20Ali&avoid_passage=ormuz,babalmandab",
  "/route/v1/freight/76.9286,43.2567;28.9784,41.0082?exclude=RU,IR&overview=full&geometries=geojson",
  "/route/v1/sea/121.47,31.23;4.47,51.92?exclude=babalmandab",
  "/route/v1/rail/108.94,34.26;6.76,51.43",
  "/route/v1/freight/49.8671,40.4093;44.79,41.72;28.9784,41.0082",
}
math.randomseed(42)

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("requests %d in %.1f s (%.1f/s)\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, non-2xx %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
end
