"""Health answers: live always, ready only when PostgreSQL and Redis answer, naming what is down."""


async def test_live_and_ready_when_everything_is_up(client):
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    response = await client.get("/health/ready")
    assert (response.status_code, response.json()["down"]) == (200, [])


async def test_ready_answers_503_and_names_redis_when_redis_cannot_be_reached(client_with):
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    async with client_with(redis_url="redis://127.0.0.1:1/0") as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "down": ["redis"]}
