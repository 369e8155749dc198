# One image for web, worker and beat. Everything it serves (Bootstrap, Swagger UI) comes from installed packages.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DEBUG=true python manage.py compilemessages --ignore=.venv -v 0 \
 && DEBUG=true SECRET_KEY=build python manage.py collectstatic --noinput -v 0
EXPOSE 8000
CMD ["gunicorn", "kunshan_training.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
